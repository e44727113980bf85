// The tests here load a daemon on purpose (floods, fuzzing, hostile servers) and measure its memory and open files:
// run one at a time, so that one test's load is neither another's noise nor its cause of a false timeout.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
