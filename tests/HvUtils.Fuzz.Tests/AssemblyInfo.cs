// Descriptor and thread counts come from /proc/self: no other test may run meanwhile.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
