from openlint.cli import main

main()
