"""WTForms forms: validation at the edge, with Dutch messages through the translation layer."""
