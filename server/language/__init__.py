"""Reading what people write, in the languages of the crews: words, terms, meaning, language."""
