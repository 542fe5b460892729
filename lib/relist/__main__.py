from relist.cli import main

main()
