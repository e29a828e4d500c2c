namespace Micromastery.Hub.Stack;

/// <summary>The built-in catalog: the seed's 21 staples (layers A–E) and a few physical classics.</summary>
internal static class Catalog
{
    public static IReadOnlyList<Staple> Staples { get; } =
    [
        // A) AI + code layer (5).
        new Staple(
            Id: "cursor-inline-edit",
            Name: "Inline edit with Cmd+K in Cursor",
            Layer: Layer.AiCode,
            Anatomy: new Anatomy(
                EntryTrick: "Start in a single file: select a few lines, press Cmd+K and describe the change.",
                RubOfReality: "The edit looks right but breaks an import or a type, so you read every diff before accepting it.",
                BackgroundSupport: "Cursor's docs and YouTube, Karpathy's vibe-coding talks, and Build in Public Twitter.",
                Payoff: "A deployed working script.",
                Repeatability: "Make the same kind of edit in a second file and a second language without losing the thread.",
                ExperimentalPath: "Try multi-file edits with the agent, or rewrite one function three ways and keep the clearest."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),

        new Staple(
            Id: "claude-api-script",
            Name: "A simple Python script with the Claude API",
            Layer: Layer.AiCode,
            Anatomy: new Anatomy(
                EntryTrick: "Keep it under 60 lines: read a CSV, ask Claude to summarise it, send the result by email.",
                RubOfReality: "API keys, environment variables and a rate-limit or malformed-response error stop the first run.",
                BackgroundSupport: "The Anthropic, OpenAI and Replicate SDK READMEs, and a Claude Project holding your files.",
                Payoff: "A deployed working script that runs end to end without you at the keyboard.",
                Repeatability: "Point the same script at a different API (Replicate or OpenAI) or a different CSV and it still works.",
                ExperimentalPath: "Vary the system prompt, the model and the output format, then schedule it as a cron job."),
            Checks: [SuggestedCheck.Of("github.workflow-run", "repo"), SuggestedCheck.Of(CheckTypes.Manual)]),

        new Staple(
            Id: "n8n-webhook-email",
            Name: "A single webhook → email flow in n8n or Make.com",
            Layer: Layer.AiCode,
            Anatomy: new Anatomy(
                EntryTrick: "Start from one of n8n's official templates: a Webhook node wired straight to an email node.",
                RubOfReality: "The test and production URLs differ, and the payload's fields are not where the email node looks.",
                BackgroundSupport: "n8n's official YouTube (200+ template videos) and the n8n.io community forum.",
                Payoff: "A real webhook call that lands as an email in your inbox.",
                Repeatability: "Resell the same n8n template to 5 different customers.",
                ExperimentalPath: "Swap the trigger (a form, Stripe) or the output (Slack, a sheet), and rebuild it in Make.com."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),

        new Staple(
            Id: "github-actions-cron",
            Name: "A simple cron job with GitHub Actions",
            Layer: Layer.AiCode,
            Anatomy: new Anatomy(
                EntryTrick: "One workflow file with an on: schedule cron line and a workflow_dispatch trigger to run it by hand.",
                RubOfReality: "Cron is in UTC, scheduled runs start late, and secrets are missing until you add them to the repo.",
                BackgroundSupport: "GitHub's Actions docs, the marketplace and thousands of public workflow files to copy from.",
                Payoff: "A scheduled run that succeeded and produced the weekly report.",
                Repeatability: "Drop the same workflow into another repository to automate a different weekly report.",
                ExperimentalPath: "Try matrix runs, caching, or a job that opens an issue or posts to Slack with the result."),
            Checks: [SuggestedCheck.Of("github.workflow-run", "repo")]),

        new Staple(
            Id: "vercel-nextjs-landing",
            Name: "Deploying a Next.js landing to Vercel",
            Layer: Layer.AiCode,
            Anatomy: new Anatomy(
                EntryTrick: "Import a Next.js template into Vercel and let the first deploy happen before changing anything.",
                RubOfReality: "The custom domain's DNS takes time to propagate and the build fails on an environment variable.",
                BackgroundSupport: "Vercel's and Next.js's docs and templates, and Marc Lou's public Next.js boilerplate work.",
                Payoff: "A live landing page on a custom domain, about 3 hours from start.",
                Repeatability: "Deploy a second landing from the same repository to another domain in under an hour.",
                ExperimentalPath: "Clone the same landing page for 3 different niches and compare their sign-ups."),
            Checks: [SuggestedCheck.Of("http.page", "url")]),

        // B) Distribution + community layer (5).
        new Staple(
            Id: "x-thread",
            Name: "Writing a Twitter/X thread",
            Layer: Layer.Distribution,
            Anatomy: new Anatomy(
                EntryTrick: "Use the Pieter Levels format: 7 tweets, 1 hook, and write the hook first.",
                RubOfReality: "The first threads get almost no reach, and cutting each tweet to one idea takes several rewrites.",
                BackgroundSupport: "Build in Public Twitter: @levelsio, @marc_louvion and @dvassallo show the format every week.",
                Payoff: "A published thread with a link you can share.",
                Repeatability: "Turn each finished micromastery into its own 7-tweet thread.",
                ExperimentalPath: "Vary the hook, the length and the posting time, and compare the replies each gets."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),

        new Staple(
            Id: "newsletter-first-100",
            Name: "Beehiiv or Substack newsletter — first 100 subscribers",
            Layer: Layer.Distribution,
            Anatomy: new Anatomy(
                EntryTrick: "Start on Beehiiv's free plan with Magic SEO on, and publish issue one before designing anything.",
                RubOfReality: "Subscribers come one by one, and the first issues go out to a list of friends.",
                BackgroundSupport: "Beehiiv's YouTube, cross-promotion with other newsletters and the Indie Hackers community.",
                Payoff: "Published first issue + 1 subscriber.",
                Repeatability: "Ship an issue on the same day every week until the list reaches 100.",
                ExperimentalPath: "Try Substack next, Beehiiv's recommendations network, and different subject lines."),
            Checks:
            [
                SuggestedCheck.Of("newsletter.published", "publication"),
                SuggestedCheck.Of("newsletter.subscribers", "publication", "min"),
            ]),

        new Staple(
            Id: "build-in-public-post",
            Name: "Posting on Indie Hackers / Reddit r/SaaS",
            Layer: Layer.Distribution,
            Anatomy: new Anatomy(
                EntryTrick: "Post one concrete number and one lesson from this week, drafted with ChatGPT first.",
                RubOfReality: "Self-promotion rules remove the post, or it sinks without a single comment.",
                BackgroundSupport: "indiehackers.com (free), Reddit r/SaaS and the Build in Public crowd on X.",
                Payoff: "A published post with at least one real reply from the community.",
                Repeatability: "Post a milestone update every time a micromastery pays off.",
                ExperimentalPath: "Try a question post, a revenue post and a teardown post, and see which draws the best replies."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),

        new Staple(
            Id: "product-hunt-launch",
            Name: "Product Hunt launch",
            Layer: Layer.Distribution,
            Anatomy: new Anatomy(
                EntryTrick: "Prepare the gallery, tagline and first comment days ahead, then follow a 4-hour launch-day ritual.",
                RubOfReality: "Launch day is a long grind of answering comments while the ranking moves against you.",
                BackgroundSupport: "Product Hunt's maker community, past launch write-ups and your newsletter and X audience.",
                Payoff: "A live launch page with its first upvotes and comments.",
                Repeatability: "Relaunch each new product or major version with the same checklist.",
                ExperimentalPath: "Vary the launch day, the hunter, the tagline and the offer for launch-day visitors."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),

        new Staple(
            Id: "loom-async-support",
            Name: "Async support with Loom videos",
            Layer: Layer.Distribution,
            Anatomy: new Anatomy(
                EntryTrick: "Answer the next support question with a 2-minute Loom instead of a written reply.",
                RubOfReality: "The first recordings ramble, and you re-record until you can show the fix in one take.",
                BackgroundSupport: "Loom's help centre and Brett Williams's Designjoy, which runs client work on async Loom updates.",
                Payoff: "A customer's question answered with a shared Loom link.",
                Repeatability: "Keep a library of Loom answers and send the same video to every customer who asks.",
                ExperimentalPath: "Try onboarding walkthroughs, bug reproductions and weekly client updates in the same format."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),

        // C) Money + infrastructure layer (4).
        new Staple(
            Id: "stripe-payment-link",
            Name: "Stripe payment link + Tax ID setup",
            Layer: Layer.MoneyInfra,
            Anatomy: new Anatomy(
                EntryTrick: "Create a Payment Link in test mode from the dashboard: no code, one product, one price.",
                RubOfReality: "A 3-hour debug session on your first Stripe webhook, plus the tax settings (Stripe Atlas from Turkey).",
                BackgroundSupport: "Stripe's docs, the Atlas Guide and the developer community around its webhooks and Tax.",
                Payoff: "A real test payment captured.",
                Repeatability: "Create links for every product and price, then a Lemon Squeezy webhook takes 30 minutes.",
                ExperimentalPath: "Try subscriptions, coupons, Checkout with a webhook, and an Atlas LLC with Stripe Tax."),
            Checks: [SuggestedCheck.Of("stripe.test-payment"), SuggestedCheck.Of("stripe.payment-link")]),

        new Staple(
            Id: "wise-multi-currency",
            Name: "Opening a Wise multi-currency account + USD/EUR/TRY flow",
            Layer: Layer.MoneyInfra,
            Anatomy: new Anatomy(
                EntryTrick: "Open the account and get USD and EUR account details before the first customer pays.",
                RubOfReality: "Identity checks, verification delays and working out the fees between USD, EUR and TRY.",
                BackgroundSupport: "Wise's help centre and solopreneurs in Turkey who combine PayPal Business, Wise and iyzico.",
                Payoff: "A first payment received in USD or EUR and converted to TRY.",
                Repeatability: "Move each month's revenue through the same USD/EUR/TRY flow.",
                ExperimentalPath: "Compare conversion timing, Wise's card and a PayPal Business + Wise + iyzico combination."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),

        new Staple(
            Id: "mercury-treasury",
            Name: "Opening Mercury Treasury",
            Layer: Layer.MoneyInfra,
            Anatomy: new Anatomy(
                EntryTrick: "Apply through Mercury's Stripe Atlas Welcome Kit right after the Atlas LLC is formed.",
                RubOfReality: "The application asks for the LLC's documents and an EIN, and approval can take days.",
                BackgroundSupport: "Stripe's Atlas Guide, Mercury's Stripe Atlas Welcome Kit newsletter and Indie Hackers threads.",
                Payoff: "An approved Mercury account for the LLC with Stripe payouts landing in it.",
                Repeatability: "Route every payout and the Treasury sweep through the same account each month.",
                ExperimentalPath: "Try Treasury's yield, virtual cards per tool and separate accounts for taxes and profit."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),

        new Staple(
            Id: "profit-first-transfers",
            Name: "Profit First discipline with weekly bank transfers",
            Layer: Layer.MoneyInfra,
            Anatomy: new Anatomy(
                EntryTrick: "Open separate profit, tax and operating accounts and move a fixed percentage on the same weekday.",
                RubOfReality: "Some weeks the operating account feels too thin to move anything, and you are tempted to skip.",
                BackgroundSupport: "Mike Michalowicz's Profit First and the community of owners who run it publicly.",
                Payoff: "The first weekly transfers done, with the profit account's balance to show.",
                Repeatability: "Make the same transfer every week, whatever the revenue was.",
                ExperimentalPath: "Adjust the percentages each quarter, or switch from weekly to twice-monthly transfers."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),

        // D) Design + content layer (4).
        new Staple(
            Id: "figma-component-library",
            Name: "Building a reusable component library in Figma",
            Layer: Layer.DesignContent,
            Anatomy: new Anatomy(
                EntryTrick: "Turn one button you already use into a component with variants, then build from there.",
                RubOfReality: "Auto layout, variants and naming fight you until the structure clicks.",
                BackgroundSupport: "Figma's official YouTube (Config recordings) and Schoolhouse.world's free workshops.",
                Payoff: "A published library whose components are used in a real screen.",
                Repeatability: "Reuse the library in the next project; a Webflow symbol library then becomes a half-day job.",
                ExperimentalPath: "Add tokens, dark mode or a second brand on top of the same components."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),

        new Staple(
            Id: "brand-assets-midjourney",
            Name: "Producing brand-consistent assets with Midjourney / Flux",
            Layer: Layer.DesignContent,
            Anatomy: new Anatomy(
                EntryTrick: "Write one style prompt with your colours and a reference image, and reuse it for every asset.",
                RubOfReality: "Outputs drift off-brand, and hands, text and logos come out wrong.",
                BackgroundSupport: "The Midjourney and Flux communities on Discord and their shared prompt libraries.",
                Payoff: "A set of on-brand images used on your landing page or social posts.",
                Repeatability: "Produce the next batch from the same prompt and reference images with the same look.",
                ExperimentalPath: "Compare Midjourney with Flux, vary style references and try a second visual direction."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),

        new Staple(
            Id: "notion-changelog",
            Name: "A public knowledge base / changelog in Notion",
            Layer: Layer.DesignContent,
            Anatomy: new Anatomy(
                EntryTrick: "Make one Notion page with dated entries and publish it to the web.",
                RubOfReality: "Keeping entries short and writing them for customers rather than for yourself.",
                BackgroundSupport: "Notion's templates gallery and public changelogs from other indie makers.",
                Payoff: "A public URL with your first changelog entries.",
                Repeatability: "Add an entry with every release, and a knowledge-base page for every repeated question.",
                ExperimentalPath: "Try a database view, a custom domain, or linking it from the product and the newsletter."),
            Checks: [SuggestedCheck.Of("http.page", "url")]),

        new Staple(
            Id: "weekly-60s-video",
            Name: "A 60-second weekly video with CapCut / Descript",
            Layer: Layer.DesignContent,
            Anatomy: new Anatomy(
                EntryTrick: "Record one take on your phone and edit it by deleting words from the transcript in Descript.",
                RubOfReality: "Cutting to 60 seconds, captions, and talking to a camera without freezing.",
                BackgroundSupport: "CapCut and Descript tutorials on YouTube and short-form creators who share their process.",
                Payoff: "A published 60-second video.",
                Repeatability: "Publish one every week on the same day with the same template.",
                ExperimentalPath: "Try different hooks, formats and platforms, and repurpose a thread into a video."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),

        // E) Customer + ops layer (3).
        new Staple(
            Id: "calcom-tiered-links",
            Name: "Cal.com tier-based meeting links",
            Layer: Layer.CustomerOps,
            Anatomy: new Anatomy(
                EntryTrick: "Create two event types: 15 min free and 30 min paid.",
                RubOfReality: "Connecting Stripe for the paid tier, time zones and availability rules that hide slots.",
                BackgroundSupport: "Cal.com's docs, its open-source community and templates shared by consultants.",
                Payoff: "Both tiers live and a first meeting booked.",
                Repeatability: "Add the same tiers for each new offer or service.",
                ExperimentalPath: "Try different lengths and prices, routing forms and a booking link embedded on the landing page."),
            Checks: [SuggestedCheck.Of("calcom.event-types", "tiers"), SuggestedCheck.Of("calcom.booking")]),

        new Staple(
            Id: "beehiiv-welcome-sequence",
            Name: "Automated welcome sequence with Beehiiv segments",
            Layer: Layer.CustomerOps,
            Anatomy: new Anatomy(
                EntryTrick: "Start with a single welcome email triggered on sign-up, then add steps.",
                RubOfReality: "Segment conditions, delays and testing the flow without spamming real subscribers.",
                BackgroundSupport: "Beehiiv's YouTube and help centre on automations, and other newsletter operators.",
                Payoff: "New subscribers receiving the sequence automatically.",
                Repeatability: "Build a sequence for each segment or lead magnet from the same structure.",
                ExperimentalPath: "Vary the number of emails, the delays and the offer in the last email."),
            Checks: [SuggestedCheck.Of("newsletter.subscribers", "publication", "min")]),

        new Staple(
            Id: "onboarding-assistant",
            Name: "ChatGPT custom GPT or Claude Project as a customer-onboarding assistant",
            Layer: Layer.CustomerOps,
            Anatomy: new Anatomy(
                EntryTrick: "Upload your docs and FAQ to a Claude Project and write a 200-word system prompt.",
                RubOfReality: "The assistant makes up answers until the instructions and sources are tight.",
                BackgroundSupport: "OpenAI's and Anthropic's docs and people sharing their custom GPTs and prompts.",
                Payoff: "A real customer onboarded through the assistant.",
                Repeatability: "Set up the same assistant for each product from the same prompt template.",
                ExperimentalPath: "Compare a custom GPT with a Claude Project and try different tones and source sets."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),

        // Physical micromasteries (Twigger's classics).
        new Staple(
            Id: "perfect-omelette",
            Name: "A perfect omelette",
            Layer: Layer.Physical,
            Anatomy: new Anatomy(
                EntryTrick: "Use a hot pan with butter and keep the eggs moving until just set.",
                RubOfReality: "The first ones overcook, stick or tear as you fold them.",
                BackgroundSupport: "Cooks, classic recipes and countless video demonstrations.",
                Payoff: "A smooth, unbrowned, folded omelette on the plate.",
                Repeatability: "Make it the same way every morning for a week.",
                ExperimentalPath: "Try fillings, a French versus country style, or a different pan."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),

        new Staple(
            Id: "origami-crane",
            Name: "Folding an origami crane",
            Layer: Layer.Physical,
            Anatomy: new Anatomy(
                EntryTrick: "Master the square base and the petal fold first.",
                RubOfReality: "Imprecise creases make the final folds fail.",
                BackgroundSupport: "Origami diagrams, videos and paper-folding communities.",
                Payoff: "A finished crane that holds its shape.",
                Repeatability: "Fold it again from memory with different paper.",
                ExperimentalPath: "Try smaller paper, a flapping crane or a new model."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),

        new Staple(
            Id: "kayak-roll",
            Name: "Paddling a sea kayak: the Eskimo roll",
            Layer: Layer.Physical,
            Anatomy: new Anatomy(
                EntryTrick: "Practise the hip flick at the poolside before trying the full roll.",
                RubOfReality: "Upside down, panic makes you lift your head too early.",
                BackgroundSupport: "Kayak clubs, coaches and pool sessions.",
                Payoff: "A capsize and unaided roll back upright.",
                Repeatability: "Roll on both sides and in open water.",
                ExperimentalPath: "Try other rolls, or roll in moving water."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),

        new Staple(
            Id: "swim-25m-one-breath",
            Name: "Swimming 25 metres in one breath",
            Layer: Layer.Physical,
            Anatomy: new Anatomy(
                EntryTrick: "Relax, breathe calmly before you start, and glide long underwater.",
                RubOfReality: "The urge to breathe arrives before the wall.",
                BackgroundSupport: "Swimming clubs, freediving coaches and a pool buddy for safety.",
                Payoff: "One full 25-metre length without taking a breath.",
                Repeatability: "Do it again in different pools, with a buddy watching.",
                ExperimentalPath: "Try different strokes, or extend the distance safely."),
            Checks: [SuggestedCheck.Of(CheckTypes.Manual)]),
    ];

    /// <summary>The staple with this id (case-insensitive), or null when the catalog has none.</summary>
    public static Staple? Find(string id) =>
        Staples.FirstOrDefault(staple => string.Equals(staple.Id, id, StringComparison.OrdinalIgnoreCase));
}
