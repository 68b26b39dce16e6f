"""privmon: runtime privacy-compliance monitor for Android apps."""
