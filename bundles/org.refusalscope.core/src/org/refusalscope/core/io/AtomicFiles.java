package org.refusalscope.core.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.refusalscope.io.files.AtomicWrite;

/**
 * Writes files so that a reader (or a resumed run after Ctrl-C) sees either the old or the new content, never a
 * half-written file ({@link AtomicWrite}).
 */
public final class AtomicFiles {

	private AtomicFiles() {
	}

	public static void writeString(Path target, String content) throws IOException {
		writeBytes(target, content.getBytes(StandardCharsets.UTF_8));
	}

	public static void writeBytes(Path target, byte[] content) throws IOException {
		AtomicWrite.replace(target, temporary -> Files.write(temporary, content));
	}
}
