"""Writing the site: the output folder, written aside and swapped in whole, and the search index."""
