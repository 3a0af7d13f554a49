"""The benchmark against Hugo + Pagefind: a directory generator, the Hugo site and the harness."""
