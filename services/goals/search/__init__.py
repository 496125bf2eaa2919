"""Search: objectives and key results by the words of their text, across cycles."""
