package org.refusalscope.core.json;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;

/**
 * The one JSON mapping of the platform (Gson): settings objects, run manifests, results and CLI output all go
 * through here so that they serialise alike. NaN and infinities are written as JSON null-free numbers only when
 * finite; callers keep values finite.
 */
public final class Json {

	private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
			.serializeSpecialFloatingPointValues().create();
	private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping()
			.serializeSpecialFloatingPointValues().create();

	private Json() {
	}

	public static Gson gson() {
		return PRETTY;
	}

	public static String write(Object value) {
		return PRETTY.toJson(value);
	}

	public static String writeCompact(Object value) {
		return COMPACT.toJson(value);
	}

	public static JsonElement tree(Object value) {
		return PRETTY.toJsonTree(value);
	}

	public static <T> T read(String json, Class<T> type) {
		return PRETTY.fromJson(json, type);
	}

	public static <T> T convert(JsonElement json, Class<T> type) {
		return PRETTY.fromJson(json, type);
	}

	/** Reads a JSON file; the error names the file and the parser's complaint. */
	public static <T> T read(Path file, Class<T> type) throws IOException {
		try(Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			T value = PRETTY.fromJson(reader, type);
			if(value == null) {
				throw new IOException(file + ": empty JSON file");
			}
			return value;
		} catch(JsonParseException e) {
			throw new IOException(file + ": invalid JSON: " + e.getMessage(), e);
		}
	}
}
