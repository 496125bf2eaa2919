"""The demo organisation of `inspire dev`, loaded through the services' REST APIs like any
other client would."""
