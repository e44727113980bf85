// Each container boots a whole systemd and a 2-core CI machine runs them one at a time; in parallel they would
// only slow each other into the generous timeouts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
