"""The `inspire` command and the development stack: tools that run the services, which never
import them."""
