package org.refusalscope.core.tests.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * A validator for the subset of JSON Schema 2020-12 that results.schema.json uses (type, const, required,
 * properties, additionalProperties, items, $ref into $defs, minimum/maximum/exclusiveMaximum). No JSON-Schema library
 * is in the target platform; unknown keywords fail loudly so the schema cannot silently outgrow this checker.
 */
final class SchemaSubsetValidator {

	private static final List<String> KNOWN = List.of("$schema", "$id", "title", "description", "type", "const",
			"required", "properties", "additionalProperties", "items", "$ref", "$defs", "minimum", "maximum",
			"exclusiveMaximum");
	private final JsonObject root;

	SchemaSubsetValidator(JsonObject root) {
		this.root = root;
	}

	/** Violations, each naming the JSON path; empty when valid. */
	List<String> validate(JsonElement value) {
		List<String> errors = new ArrayList<>();
		check(root, value, "$", errors);
		return errors;
	}

	private void check(JsonObject schema, JsonElement value, String path, List<String> errors) {
		for(String key : schema.keySet()) {
			if(!KNOWN.contains(key)) {
				throw new IllegalStateException("schema keyword '" + key + "' at " + path + " is not supported by this checker");
			}
		}
		if(schema.has("$ref")) {
			String ref = schema.get("$ref").getAsString();
			String prefix = "#/$defs/";
			if(!ref.startsWith(prefix)) {
				throw new IllegalStateException("unsupported $ref " + ref);
			}
			check(root.getAsJsonObject("$defs").getAsJsonObject(ref.substring(prefix.length())), value, path, errors);
			return;
		}
		if(schema.has("const") && !schema.get("const").equals(value)) {
			errors.add(path + ": expected " + schema.get("const") + ", got " + value);
		}
		if(schema.has("type") && !typeMatches(schema.get("type"), value)) {
			errors.add(path + ": expected type " + schema.get("type") + ", got " + value);
			return;
		}
		if(value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
			double number = value.getAsDouble();
			if(schema.has("minimum") && number < schema.get("minimum").getAsDouble()) {
				errors.add(path + ": " + number + " < minimum " + schema.get("minimum"));
			}
			if(schema.has("maximum") && number > schema.get("maximum").getAsDouble()) {
				errors.add(path + ": " + number + " > maximum " + schema.get("maximum"));
			}
			if(schema.has("exclusiveMaximum") && number >= schema.get("exclusiveMaximum").getAsDouble()) {
				errors.add(path + ": " + number + " >= exclusiveMaximum " + schema.get("exclusiveMaximum"));
			}
		}
		if(value.isJsonObject()) {
			JsonObject object = value.getAsJsonObject();
			if(schema.has("required")) {
				for(JsonElement name : schema.getAsJsonArray("required")) {
					if(!object.has(name.getAsString())) {
						errors.add(path + ": missing required '" + name.getAsString() + "'");
					}
				}
			}
			JsonObject properties = schema.has("properties") ? schema.getAsJsonObject("properties") : new JsonObject();
			for(Map.Entry<String, JsonElement> entry : object.entrySet()) {
				String child = path + "." + entry.getKey();
				if(properties.has(entry.getKey())) {
					check(properties.getAsJsonObject(entry.getKey()), entry.getValue(), child, errors);
				} else if(schema.has("additionalProperties")) {
					JsonElement additional = schema.get("additionalProperties");
					if(additional.isJsonPrimitive() && !additional.getAsBoolean()) {
						errors.add(path + ": unexpected property '" + entry.getKey() + "'");
					} else if(additional.isJsonObject()) {
						check(additional.getAsJsonObject(), entry.getValue(), child, errors);
					}
				}
			}
		}
		if(value.isJsonArray() && schema.has("items")) {
			JsonArray array = value.getAsJsonArray();
			for(int i = 0; i < array.size(); i++) {
				check(schema.getAsJsonObject("items"), array.get(i), path + "[" + i + "]", errors);
			}
		}
	}

	private static boolean typeMatches(JsonElement type, JsonElement value) {
		if(type.isJsonArray()) {
			for(JsonElement t : type.getAsJsonArray()) {
				if(typeMatches(t, value)) {
					return true;
				}
			}
			return false;
		}
		return switch(type.getAsString()) {
			case "null" -> value.isJsonNull();
			case "object" -> value.isJsonObject();
			case "array" -> value.isJsonArray();
			case "string" -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isString();
			case "boolean" -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean();
			case "number" -> isNumber(value) && Double.isFinite(value.getAsDouble());
			case "integer" -> isNumber(value) && value.getAsDouble() == Math.rint(value.getAsDouble());
			default -> throw new IllegalStateException("unknown type " + type);
		};
	}

	private static boolean isNumber(JsonElement value) {
		return value.isJsonPrimitive() && ((JsonPrimitive) value).isNumber();
	}
}
