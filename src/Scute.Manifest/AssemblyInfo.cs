using System.Runtime.CompilerServices;

// The host policy files (/etc/scute/policy.toml) go through the same strict TOML reader.
[assembly: InternalsVisibleTo("Scute.Policy")]
[assembly: InternalsVisibleTo("Scute.Manifest.Tests")]
