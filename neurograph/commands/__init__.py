"""The subcommands of the `neurograph` command line, one module each."""
