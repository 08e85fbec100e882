using System.Collections.Frozen;

namespace Automotech.OpenData.Reference;

/// <summary>The 732 sub-classes of NAF rev. 2 (INSEE), keyed by their dotted code ("29.10Z").</summary>
public sealed class NafNomenclature
{
    private static readonly Lazy<NafNomenclature> Lazy = new(() => new NafNomenclature(
        ReferenceFiles.ReadCsv("naf-rev2-sous-classes.csv")
            .ToFrozenDictionary(r => r("code_naf"), r => r("libelle"), StringComparer.Ordinal)));

    private NafNomenclature(FrozenDictionary<string, string> labels) => Labels = labels;

    public static NafNomenclature Rev2 => Lazy.Value;

    public FrozenDictionary<string, string> Labels { get; }

    public string? FindLabel(string? code) =>
        code is not null && Labels.TryGetValue(code, out var label) ? label : null;
}
