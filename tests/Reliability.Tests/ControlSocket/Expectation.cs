namespace Reliability.Tests.ControlSocket;

/// <summary>What the contract says the daemon does with a fuzz case's first message.</summary>
internal enum Expectation
{
    /// <summary>A well-formed reply (or error reply) comes first.</summary>
    Reply,

    /// <summary>The daemon closes the connection without a reply.</summary>
    Close,

    /// <summary>Either is right: a oneway call, an answer that may wait while its client goes, a known bug (COVERAGE.md).</summary>
    Either,
}
