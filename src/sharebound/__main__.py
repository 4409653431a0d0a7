from sharebound.cli import main

main()
