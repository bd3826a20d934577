"""Inflow's companion: the local service that receives captures and keeps the journal.

The public surface is the app factory, the settings and the journal; the CLI (`inflow`) and the
HTTP routers are thin edges over them.
"""

__version__ = "0.1.0"
#: The oldest extension version this companion still speaks the capture contract with.
MIN_CLIENT_VERSION = "0.1.0"

__all__ = ["MIN_CLIENT_VERSION", "__version__"]
