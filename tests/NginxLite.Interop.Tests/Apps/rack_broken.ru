# A config.ru that fails to load: the shim must exit 22 with this error on stderr.
raise LoadError, 'broken-rackup-marker'
