"""Reading free text: normalisation, language, words, danger words and the topic matcher (pure)."""
