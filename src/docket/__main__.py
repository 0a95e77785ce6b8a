"""python -m docket"""

from docket.cli.main import main

main()
