"""The plugin's side of GT302: one seed per session, every test reseeded, reseeder plugins."""
