namespace Micromastery.Hub.Stack;

/// <summary>The seed's five layers of the solopreneur stack, plus Twigger's physical micromasteries.</summary>
public enum Layer
{
    AiCode,
    Distribution,
    MoneyInfra,
    DesignContent,
    CustomerOps,
    Physical,
}

internal static class Layers
{
    /// <summary>The stack file's spelling of each layer: the seed's letter, or <c>physical</c>.</summary>
    public static string Code(this Layer layer) => layer switch
    {
        Layer.AiCode => "A",
        Layer.Distribution => "B",
        Layer.MoneyInfra => "C",
        Layer.DesignContent => "D",
        Layer.CustomerOps => "E",
        _ => "physical",
    };

    public static string Title(this Layer layer) => layer switch
    {
        Layer.AiCode => "AI + code",
        Layer.Distribution => "Distribution + community",
        Layer.MoneyInfra => "Money + infrastructure",
        Layer.DesignContent => "Design + content",
        Layer.CustomerOps => "Customer + ops",
        _ => "Physical",
    };

    public static bool TryParse(string? text, out Layer layer)
    {
        foreach (var candidate in Enum.GetValues<Layer>())
        {
            if (string.Equals(candidate.Code(), text, StringComparison.OrdinalIgnoreCase))
            {
                layer = candidate;
                return true;
            }
        }

        layer = default;
        return false;
    }
}
