"""The learning record travels: user-curated xAPI 1.0.3 statements for an organisation's LRS.

Modules by job: `statements` (a capture as a statement), `config` (who the user is, which LRS,
the credentials: 0600 `xapi.json`), `client` (sending to an LRS, with urllib), `share` (what a
week would share, sending it, recording what was shared). Nothing is sent unless asked.
"""

from companion.xapi.client import LrsAuthFailed, LrsClient, LrsUnreachable, SendReport
from companion.xapi.config import XapiConfig, load_config, make_actor, save_config
from companion.xapi.share import send_week, share_list, week_statements
from companion.xapi.statements import build_statement, statement_id

__all__ = [
    "LrsAuthFailed",
    "LrsClient",
    "LrsUnreachable",
    "SendReport",
    "XapiConfig",
    "build_statement",
    "load_config",
    "make_actor",
    "save_config",
    "send_week",
    "share_list",
    "statement_id",
    "week_statements",
]
