package org.refusalscope.training.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2 byte-level conventions as Hugging Face tokenizers implements them: the pre-tokenizer regex and the
 * byte-to-character table that makes every byte a printable vocabulary character.
 */
public final class ByteLevel {

	/** The ByteLevel pre-tokenizer's split pattern (use_regex true). */
	public static final Pattern SPLIT = Pattern.compile("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

	private static final char[] BYTE_TO_CHAR = buildTable();

	private ByteLevel() {
	}

	private static char[] buildTable() {
		char[] table = new char[256];
		boolean[] printable = new boolean[256];
		for(int b = '!'; b <= '~'; b++) {
			printable[b] = true;
		}
		for(int b = 0xA1; b <= 0xAC; b++) {
			printable[b] = true;
		}
		for(int b = 0xAE; b <= 0xFF; b++) {
			printable[b] = true;
		}
		int next = 0;
		for(int b = 0; b < 256; b++) {
			table[b] = printable[b] ? (char)b : (char)(256 + next++);
		}
		return table;
	}

	public static char charOf(int unsignedByte) {
		return BYTE_TO_CHAR[unsignedByte];
	}

	/** Pre-tokenizes text and maps each piece to its byte-level string. */
	public static List<String> pieces(String text) {
		List<String> pieces = new ArrayList<>();
		Matcher matcher = SPLIT.matcher(text);
		while(matcher.find()) {
			pieces.add(encodeBytes(matcher.group()));
		}
		return pieces;
	}

	public static String encodeBytes(String piece) {
		byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
		StringBuilder builder = new StringBuilder(bytes.length);
		for(byte b : bytes) {
			builder.append(BYTE_TO_CHAR[b & 0xFF]);
		}
		return builder.toString();
	}
}
