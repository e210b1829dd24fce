"""Package-style discovery: a runtime that imports this folder as a package finds `Adapter` here.

In the image the runtime imports the module `adapter` directly (ADAPTER_MODULE=adapter, /app on PYTHONPATH);
the fallback covers loading this file as a plain module from /app.
"""

try:
    from .adapter import Adapter, OpenClawAdapter
except ImportError:  # no parent package: loaded as a top-level module beside adapter.py
    from adapter import Adapter, OpenClawAdapter

__all__ = ["Adapter", "OpenClawAdapter"]
