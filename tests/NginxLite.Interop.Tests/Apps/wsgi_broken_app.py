"""An app module that fails at import: the shim must exit 22 with this traceback on stderr."""
raise ImportError("broken-app-marker: this module cannot be imported")
