using Scute.Manifest;

namespace Scute.Policy.Checks;

/// <summary>strict: the base image must name fixed content; refused before anything is downloaded.</summary>
public sealed class ImagePinningCheck : IPolicyCheck
{
    public string Id => "image";

    public IEnumerable<CheckResult> Evaluate(CheckInput input)
    {
        const string key = "base.image";
        ImageReference reference;
        try
        {
            reference = ImageReference.Parse(input.Manifest.BaseImage, input.Manifest.SourceFolder);
        }
        catch (ImageReferenceException e)
        {
            return [this.Fail(input, key, e.Message)];
        }

        if (reference.IsPinned)
        {
            return [this.Pass(input, key, $"{reference.Written} (pinned)")];
        }

        // The build uses exactly what the lock names (LockedImage), verified by its sha256.
        if (LockedImage.Find(input.Manifest.SourcePath, reference) is { } pin)
        {
            var version = pin.Version is null ? string.Empty : $"version {pin.Version}, ";
            return [this.Pass(input, key, $"{reference.Written} (pinned by the lock: {version}sha256 {pin.Sha256[..12]})")];
        }

        if (input.Context.Profile == "dev")
        {
            return [this.Pass(input, key, $"{reference.Written} (not pinned: allowed in dev; the lock pins its digest)")];
        }

        if (Results.HasOverride(input, "image"))
        {
            return [this.Pass(input, key, $"{reference.Written} (not pinned: overridden)")];
        }

        return [this.Fail(input, key,
            $"\"{reference.Written}\" is not pinned (accepted in strict: a digest @sha256:..., a version tag such as :12.8, a URL with #sha256=, builtin:busybox, a local path, or an alias or URL whose version and sha256 the lock holds); to allow it add under [security.overrides]: image = \"<why this is needed, in a sentence>\"")];
    }
}
