from docclub.cli import main

main()
