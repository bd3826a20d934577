"""Serve Ralph's LRS (`ralph.api:app`) on loopback for the tests; run with the LRS venv's python.

    .venv-lrs/bin/python tests/xapi/lrs/launcher.py PORT

Configuration comes from the environment the test sets (`RALPH_RUNSERVER_BACKEND=fs`,
`RALPH_AUTH_FILE`, `RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH`). Ralph 5.1's file-system
backend writes in "create" mode by default, which stores only the first POST (the file exists
after it); a real LRS keeps every statement, so this launcher makes it append.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.data.fs import FSDataBackend

FSDataBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402 - reads its backend settings at import, after the patch

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
