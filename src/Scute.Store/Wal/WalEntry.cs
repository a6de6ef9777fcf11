using System.Text.Json.Serialization;

namespace Scute.Store.Wal;

/// <summary>What a rollback step undoes. Steps are replayed newest first.</summary>
public enum WalStepKind
{
    /// <summary>Delete the tree at <see cref="WalStep.Path"/> (undo of creating it).</summary>
    [JsonStringEnumMemberName("remove_path")] RemovePath,

    /// <summary>Rename <see cref="WalStep.From"/> back to <see cref="WalStep.To"/> (undo of moving To to From).</summary>
    [JsonStringEnumMemberName("rename")] Rename,

    /// <summary>Write <see cref="WalStep.Content"/> back as the metadata of <see cref="WalStep.EnvId"/>.</summary>
    [JsonStringEnumMemberName("restore_metadata")] RestoreMetadata,

    /// <summary>Delete the metadata of <see cref="WalStep.EnvId"/> (undo of creating it).</summary>
    [JsonStringEnumMemberName("delete_metadata")] DeleteMetadata,
}

/// <summary>One rollback step. Paths are relative to the store root and never contain "..".</summary>
public sealed record WalStep
{
    public required WalStepKind Kind { get; init; }

    public string? Path { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? EnvId { get; init; }

    /// <summary>Base64 of the metadata file's previous bytes (restore_metadata).</summary>
    public string? Content { get; init; }
}

/// <summary>store/wal/&lt;op-id&gt;.json: the rollback steps of one unfinished operation, oldest first.</summary>
public sealed record WalEntry
{
    public required string OpId { get; init; }

    /// <summary>The command that wrote it: build, commit, restore, rename, rebuild, destroy, ...</summary>
    public required string Op { get; init; }

    public string? EnvId { get; init; }

    public required int Pid { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public IReadOnlyList<WalStep> Steps { get; init; } = [];
}
