using YamlDotNet.RepresentationModel;

namespace Micromastery.Hub.Stack;

/// <summary>The keys of the stack file that decide what a stranger sees: <c>profile:</c> and each entry's <c>public:</c>.</summary>
public sealed partial class StackFileParser
{
    /// <summary>Longest display name on the public page.</summary>
    public const int MaxDisplayNameLength = 80;

    /// <summary>Longest bio: one line under the name.</summary>
    public const int MaxBioLength = 200;

    /// <summary>Most profile links: a few, not a link farm.</summary>
    public const int MaxProfileLinks = 8;

    private const int MaxLinkTitleLength = 60;

    private static readonly string[] ProfileKeys = ["name", "bio", "links"];
    private static readonly string[] LinkKeys = ["title", "url"];

    /// <summary><c>true</c> or <c>false</c> only: anything looser (yes, on, 1) would publish by accident.</summary>
    private static bool ParsePublic(YamlNode node, List<StackFileError> errors)
    {
        if (node is YamlScalarNode { Value: "true" or "false" } flag)
        {
            return flag.Value == "true";
        }

        var shown = node is YamlScalarNode { Value: { } v } ? $", not '{v}'" : "";
        errors.Add(At(node, $"'public' must be true or false{shown}; a micromastery is shown on the public page only with 'public: true'"));
        return false;
    }

    private static StackProfile? ParseProfile(YamlNode node, List<StackFileError> errors)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add(At(node, "'profile' must be a mapping with 'name', and optionally 'bio' and 'links'"));
            return null;
        }

        var before = errors.Count;
        RejectUnknownKeys(map, ProfileKeys, "'profile'", errors);
        var name = Scalar(map, "name", errors);
        if (name is null && Child(map, "name") is null)
        {
            errors.Add(At(map, "'profile' needs a 'name': the display name that heads the public page"));
        }
        else if (name is { Value.Length: > MaxDisplayNameLength })
        {
            errors.Add(At(name.Node, $"profile 'name' is {name.Value.Length} characters; at most {MaxDisplayNameLength}"));
        }

        var bio = Scalar(map, "bio", errors);
        if (bio is not null && (bio.Value.Length > MaxBioLength || bio.Value.Contains('\n', StringComparison.Ordinal)))
        {
            errors.Add(At(bio.Node, $"profile 'bio' must be one line of at most {MaxBioLength} characters"));
        }

        var links = Child(map, "links") is { } linksNode ? ParseLinks(linksNode, errors) : [];
        return errors.Count > before ? null : new StackProfile(name!.Value, bio?.Value, links);
    }

    private static List<ProfileLink> ParseLinks(YamlNode node, List<StackFileError> errors)
    {
        var links = new List<ProfileLink>();
        if (node is not YamlSequenceNode list)
        {
            errors.Add(At(node, "profile 'links' must be a list, e.g. '- title: Blog' with 'url: https://…'"));
            return links;
        }

        if (list.Children.Count > MaxProfileLinks)
        {
            errors.Add(At(list.Children[MaxProfileLinks], $"profile 'links' has {list.Children.Count} links; at most {MaxProfileLinks}"));
            return links;
        }

        foreach (var item in list)
        {
            if (item is not YamlMappingNode link)
            {
                errors.Add(At(item, "each profile link must be a mapping with 'title' and 'url'"));
                continue;
            }

            RejectUnknownKeys(link, LinkKeys, "a profile link", errors);
            var title = Scalar(link, "title", errors);
            var url = Scalar(link, "url", errors);
            if (title is null || url is null)
            {
                errors.Add(At(link, "a profile link needs a 'title' and a 'url'"));
                continue;
            }

            if (title.Value.Length > MaxLinkTitleLength)
            {
                errors.Add(At(title.Node, $"link 'title' is {title.Value.Length} characters; at most {MaxLinkTitleLength}"));
            }
            else if (!(Uri.TryCreate(url.Value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http") || url.Value.Length > 2048)
            {
                errors.Add(At(url.Node, $"link 'url' must be an absolute http(s) address, not '{url.Value}'"));
            }
            else
            {
                links.Add(new ProfileLink(title.Value, url.Value));
            }
        }

        return links;
    }
}
