"""What each `dossier` subcommand does; `cli.py` only parses the arguments and calls these."""
