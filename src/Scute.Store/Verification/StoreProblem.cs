namespace Scute.Store.Verification;

/// <summary>One thing verification found wrong: kind (object, layer, metadata, audit), file, and what.</summary>
public sealed record StoreProblem(string Kind, string Path, string Detail);
