"""Writers for generated documents: the demo cache and the test fixtures are made with these,
so anyone can see exactly how every sample file was built."""
