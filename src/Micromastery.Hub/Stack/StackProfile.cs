namespace Micromastery.Hub.Stack;

/// <summary>The stack file's <c>profile:</c> section: who the public page belongs to.</summary>
public sealed record StackProfile(string DisplayName, string? Bio, IReadOnlyList<ProfileLink> Links);

/// <summary>A link the owner lists on the public page (a site, a Mastodon or X account, a blog).</summary>
public sealed record ProfileLink(string Title, string Url);
