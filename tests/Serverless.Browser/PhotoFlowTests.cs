using Microsoft.Playwright;
using Serverless.DevHost;

namespace Serverless.Browser;

/// <summary>
/// A photo from the phone's camera (docs/web-app.md): the input asks for the camera (capture), the photo goes up through
/// the files API (a first try lost on the way is tried again), the report that attaches it is sent with one
/// Idempotency-Key even when its first answer is lost, and the receipt names the photo. A file name that tries to break
/// out of text and attributes stays text.
/// </summary>
public sealed class PhotoFlowTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    /// <summary>What the files API keeps of it is sanitised (docs/files.md); whatever it keeps is shown as text.</summary>
    public const string HostileFileName = "\"><img src=x onerror=\"window.__pwned=7\">&amp;<script>.jpg";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ATeacherReportsWithAPhotoFromTheCameraAndTheRetryKeepsItsKey()
    {
        var caseId = await HostileCase.CreateAsync(host);
        var found = new List<string>();
        var page = await host.NewPhoneAsync();
        await WebAppFlowTests.SignInAsync(page, "teacher-tanaka");
        await page.GotoAsync($"app/#/cases/{caseId}/report");

        var input = page.GetByLabel("写真を撮って添付する");
        Assert.Equal("image/*", await input.GetAttributeAsync("accept"));
        Assert.Equal("environment", await input.GetAttributeAsync("capture"));

        // The first upload never reaches the API: the page sends the photo again.
        var uploads = 0;
        await page.RouteAsync("**/api/cases/*/files", async route =>
        {
            if (route.Request.Method == "POST" && ++uploads == 1)
            {
                await route.AbortAsync("connectionreset");
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await page.GetByLabel("見たこと・聞いたこと").FillAsync("右腕にあざ。写真を添付します。");
        await input.SetInputFilesAsync(new FilePayload { Name = HostileFileName, MimeType = "image/jpeg", Buffer = DemoPhoto.Jpeg() });
        var attached = page.Locator("form ul.files li");
        await Assertions.Expect(attached).ToHaveCountAsync(1, new() { Timeout = (float)Patience.TotalMilliseconds });
        Assert.Equal(2, uploads);
        var storedName = await attached.Locator(".file-name").TextContentAsync();
        Assert.Contains("onerror", storedName);
        Assert.Contains("&amp;", storedName); // an entity read as markup would have become "&"
        await BrowserHost.ScreenshotAsync(page, "20-report-with-photo");
        await AccessibilityTests.CheckAsync(page, "add a report with a photo", found);

        // The photo survives a reload in the draft (its id and name; the bytes are already sent).
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("form ul.files li .file-name")).ToHaveTextAsync(storedName!);

        // The report's first answer is lost: the retry carries the same Idempotency-Key, and the receipt names the photo.
        var keys = new List<string>();
        await page.RouteAsync("**/api/cases/*/reports", async route =>
        {
            keys.Add(route.Request.Headers["idempotency-key"]);
            if (keys.Count == 1)
            {
                await route.FetchAsync();
                await route.AbortAsync("connectionreset");
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "送信する" }).ClickAsync();
        var receipt = page.Locator(".receipt");
        await Assertions.Expect(receipt).ToContainTextAsync("受け付けました", new() { Timeout = (float)Patience.TotalMilliseconds });
        await Assertions.Expect(receipt.Locator(".file-name")).ToHaveTextAsync(storedName!);
        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0], keys[1]);
        await BrowserHost.ScreenshotAsync(page, "21-report-receipt-with-photo");
        await AccessibilityTests.CheckAsync(page, "receipt with a photo", found);

        // The timeline shows one report, with the photo attached.
        await page.GetByRole(AriaRole.Link, new() { Name = "ケースに戻る" }).ClickAsync();
        await Assertions.Expect(page.Locator("li[data-entry-type='report']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("li[data-entry-type='report'] ul.files .file-name")).ToHaveTextAsync(storedName!);
        await BrowserHost.ScreenshotAsync(page, "22-timeline-with-photo");
        Assert.Null(await page.EvaluateAsync<object?>("() => window.__pwned ?? null"));
        Assert.Equal(0, await page.Locator("main script, main img:not(.thumbnail)").CountAsync());
        Assert.Empty(found);
    }
}
