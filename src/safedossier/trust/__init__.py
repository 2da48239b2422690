"""What may be written, published and never leaked: output targets, theme policy, privacy guard."""
