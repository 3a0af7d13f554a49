"""The security policy for what strangers send."""
