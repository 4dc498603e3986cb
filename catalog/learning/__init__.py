"""The learning portal: the anonymous search log, staff insights, synonyms and pins."""
