package org.refusalscope.training.corpus;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/** Reads the refusal_direction JSON format: a list of {"instruction": ..., "category": ...} objects. */
public final class InstructionFiles {

	private InstructionFiles() {
	}

	public static List<String> read(Path file) throws IOException {
		try(Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			JsonElement root = JsonParser.parseReader(reader);
			if(!root.isJsonArray()) {
				throw new IOException(file + ": expected a JSON list of objects with \"instruction\"");
			}
			List<String> instructions = new ArrayList<>();
			int index = 0;
			for(JsonElement item : root.getAsJsonArray()) {
				if(!item.isJsonObject() || !item.getAsJsonObject().has("instruction")) {
					throw new IOException(file + ": item " + index + " has no \"instruction\"");
				}
				instructions.add(item.getAsJsonObject().get("instruction").getAsString());
				index++;
			}
			return instructions;
		} catch(com.google.gson.JsonParseException e) {
			throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
		}
	}
}
