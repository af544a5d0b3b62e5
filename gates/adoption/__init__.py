"""Adopting gates on existing code: the ratchet baseline, changed-lines mode (``--diff``,
``--staged``) and the fingerprints that match a finding across edits."""
