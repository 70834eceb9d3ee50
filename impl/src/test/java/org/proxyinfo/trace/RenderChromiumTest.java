package org.proxyinfo.trace;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * trace render, checked in a real browser: headless Chromium (installed by .ci/run) loads the
 * page from a file: URL with networking off, and must build the SVG DOM and paint it.
 */
class RenderChromiumTest {
    @TempDir Path tmp;

    private static List<String> chromium(Path profile) {
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile));
        return cmd;
    }

    @Test
    @DisplayName("the rendered page shows lifelines, labelled arrows, notes and the outcome in headless Chromium")
    void chromiumRendersSvg() throws Exception {
        assertTrue(Procs.installed("chromium"), "chromium is not installed; .ci/run installs it (apt-get install chromium)");
        JsonTraceWriter w = new JsonTraceWriter(SampleTraces.run());
        SampleTraces.honestRun(w);
        Path trace = tmp.resolve("honest.json");
        w.writeTo(trace);
        TraceValidator.assertValid(trace);
        Path html = tmp.resolve("honest.html");
        Cli r = Cli.run("trace", "render", trace.toString(), "--out", html.toString());
        assertEquals(0, r.exit(), r.err());
        String url = html.toUri().toString();

        List<String> dump = chromium(tmp.resolve("profile1"));
        dump.add("--dump-dom");
        dump.add(url);
        Procs.Result d = Procs.run(dump, tmp, 60);
        assertEquals(0, d.exit(), d.err());
        String dom = d.out();
        for (String role : List.of("client", "proxy", "server")) {
            assertTrue(dom.contains("<g class=\"lifeline\" data-role=\"" + role + "\">"), "lifeline " + role);
        }
        for (String name : List.of("client_hello", "server_hello", "certificate", "server_key_exchange",
                "server_hello_done", "client_key_exchange", "change_cipher_spec", "finished")) {
            assertTrue(dom.contains(">" + name + "</text>"), "arrow label " + name);
        }
        assertTrue(dom.contains("note outcome established"));

        Path png = tmp.resolve("shot.png");
        List<String> shot = chromium(tmp.resolve("profile2"));
        shot.add("--screenshot=" + png);
        shot.add("--window-size=1200,900");
        shot.add(url);
        Procs.Result s = Procs.run(shot, tmp, 60);
        assertEquals(0, s.exit(), s.err());
        assertTrue(Files.size(png) > 0);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "chromium wrote no PNG");
        assertEquals(1200, img.getWidth());
        int white = 0;
        int heads = 0;
        int checkNotes = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb == 0xffffff) white++;
                if (rgb == 0xdfe8f5) heads++; // lifeline heads
                if (rgb == 0xe6f5e6) checkNotes++; // passed checks
            }
        }
        int total = img.getWidth() * img.getHeight();
        assertTrue(white < total * 0.98, "screenshot is blank");
        assertTrue(heads > 3 * 100 * 20, "three lifeline heads painted: " + heads + " pixels");
        assertTrue(checkNotes > 500, "check notes painted: " + checkNotes);
        Files.copy(png, Path.of(System.getProperty("java.io.tmpdir"), "proxyinfo-render-test.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
