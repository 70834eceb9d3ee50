package org.proxyinfo.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reading a text file a person named on the command line (a PEM file, a trace): only a regular file (a FIFO or a
 * device such as /dev/zero would block or never end), at most a limit of bytes (a 3 GiB file must not become an
 * OutOfMemoryError), strictly UTF-8 (binary input is named as such, not "Input length = 1"). Every failure is an
 * IOException whose message starts with the file and says what is wrong in words (impl/HOSTILE.md, section 4).
 */
public final class TextFiles {
    private TextFiles() { }

    /** Largest PEM file (certificates, a key, CRLs) read: a chain of a few certificates is a few KB. */
    public static final long PEM_LIMIT = 4L << 20;

    /** Largest trace read: the longest reference trace is under 1 MB; a live proxy's connection trace a few MB. */
    public static final long TRACE_LIMIT = 256L << 20;

    /**
     * The file's text, or an IOException saying why not: no such file, a directory, not a regular file, not
     * readable, larger than {@code limit} ("FILE: N bytes, too large for WHAT (limit M bytes, K MiB)"), not UTF-8.
     *
     * @param what the kind of file, for the messages: "a PEM file", "a trace"
     */
    public static String read(Path file, long limit, String what) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file"); // message: "FILE: no such file"
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": a directory, not " + what);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": not a regular file (a pipe, device or socket, which may never end); give "
                    + what);
        }
        long size = Files.size(file);
        if (size > limit) {
            throw tooLarge(file, Long.toString(size), limit, what);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) limit + 1); // a file whose size lies (/proc) is still cut at the limit
        } catch (AccessDeniedException e) {
            throw new IOException(file + ": not readable (permission denied)", e);
        }
        if (bytes.length > limit) {
            throw tooLarge(file, "more than " + limit, limit, what);
        }
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            throw new IOException(file + ": not text: " + String.format("byte 0x%02x at offset %d is not UTF-8",
                    bytes[in.position()] & 0xff, in.position()) + " (binary data? " + what + " is text)");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static IOException tooLarge(Path file, String size, long limit, String what) {
        return new IOException(file + ": " + size + " bytes, too large for " + what + " (limit " + limit + " bytes, "
                + (limit >> 20) + " MiB)");
    }
}
