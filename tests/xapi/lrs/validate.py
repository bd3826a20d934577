"""Validate xAPI statements with Ralph's models (an implementation independent of Inflow's).

    .venv-lrs/bin/python tests/xapi/lrs/validate.py < statements.json

Reads one JSON array; prints one JSON object per statement, `{"id", "errors"}` (empty when the
statement is valid); exits 1 if any statement is invalid.
"""

import json
import sys

from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement

if __name__ == "__main__":
    invalid = 0
    for statement in json.load(sys.stdin):
        try:
            BaseXapiStatement(**statement)
            errors = []
        except ValidationError as exc:
            errors = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
            invalid += 1
        print(json.dumps({"id": statement.get("id"), "errors": errors}))
    sys.exit(1 if invalid else 0)
