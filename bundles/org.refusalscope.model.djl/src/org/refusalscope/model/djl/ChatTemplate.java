package org.refusalscope.model.djl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.refusalscope.api.model.ChatMessage;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.FatalTemplateErrorsException;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;

/**
 * The {@code chat_template} of a model's {@code tokenizer_config.json}, rendered by Jinjava (a Jinja engine) with the
 * variables transformers passes: {@code messages}, {@code add_generation_prompt}, {@code bos_token},
 * {@code eos_token}, and the helper functions {@code raise_exception} and {@code strftime_now}.
 */
public final class ChatTemplate {

	public static final String FILE = "tokenizer_config.json";

	private final String source;
	private final String bosToken;
	private final String eosToken;
	private final Path file;
	private final Jinjava jinjava;
	/** Jinjava reports only "error invoking function"; the template's own message is kept here. */
	private static final ThreadLocal<String> RAISED = new ThreadLocal<>();

	public ChatTemplate(String source, String bosToken, String eosToken, Path file) {
		this.source = source;
		this.bosToken = bosToken == null ? "" : bosToken;
		this.eosToken = eosToken == null ? "" : eosToken;
		this.file = file;
		JinjavaConfig config = JinjavaConfig.newBuilder().withTrimBlocks(false).withLstripBlocks(false)
				.withFailOnUnknownTokens(false).build();
		ClassLoader previous = Thread.currentThread().getContextClassLoader();
		Thread.currentThread().setContextClassLoader(ChatTemplate.class.getClassLoader());
		try {
			this.jinjava = new Jinjava(config);
			jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplate.class,
					"raiseException", String.class));
			jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now", ChatTemplate.class,
					"strftimeNow", String.class));
		} finally {
			Thread.currentThread().setContextClassLoader(previous);
		}
	}

	/** Reads {@code tokenizer_config.json} of a model folder; the template is null when the file has none. */
	public static ChatTemplate read(Path folder) throws IOException {
		Path file = folder.resolve(FILE);
		if(!Files.isRegularFile(file)) {
			return new ChatTemplate(null, null, null, file);
		}
		JsonObject json;
		try {
			json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
		} catch(RuntimeException e) {
			throw new IOException(file + ": invalid JSON: " + e.getMessage(), e);
		}
		String template = null;
		JsonElement element = json.get("chat_template");
		if(element != null && element.isJsonPrimitive()) {
			template = element.getAsString();
		} else if(element != null && element.isJsonArray()) {
			// a list of named templates: take "default"
			for(JsonElement item : element.getAsJsonArray()) {
				JsonObject named = item.getAsJsonObject();
				if("default".equals(named.get("name").getAsString())) {
					template = named.get("template").getAsString();
				}
			}
		}
		return new ChatTemplate(template, tokenText(json.get("bos_token")), tokenText(json.get("eos_token")), file);
	}

	private static String tokenText(JsonElement element) {
		if(element == null || element.isJsonNull()) {
			return null;
		}
		if(element.isJsonObject()) {
			return element.getAsJsonObject().get("content").getAsString();
		}
		return element.getAsString();
	}

	public String source() {
		return source;
	}

	public String bosToken() {
		return bosToken;
	}

	public String eosToken() {
		return eosToken;
	}

	public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
		if(source == null) {
			throw new IllegalStateException(file + ": no chat_template");
		}
		List<Map<String, Object>> list = new ArrayList<>();
		for(ChatMessage message : messages) {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("role", message.role());
			map.put("content", message.content());
			list.add(map);
		}
		Map<String, Object> context = new HashMap<>();
		context.put("messages", list);
		context.put("add_generation_prompt", addGenerationPrompt);
		context.put("bos_token", bosToken);
		context.put("eos_token", eosToken);
		ClassLoader previous = Thread.currentThread().getContextClassLoader();
		Thread.currentThread().setContextClassLoader(ChatTemplate.class.getClassLoader());
		RAISED.remove();
		try {
			RenderResult result = jinjava.renderForResult(source, context);
			for(TemplateError error : result.getErrors()) {
				if(error.getSeverity() == TemplateError.ErrorType.FATAL) {
					String raised = RAISED.get();
					throw new IllegalArgumentException(file + ": chat_template failed: "
							+ (raised != null ? raised : error.getMessage()));
				}
			}
			return result.getOutput();
		} catch(FatalTemplateErrorsException e) {
			throw new IllegalArgumentException(file + ": chat_template failed: " + e.getMessage(), e);
		} finally {
			Thread.currentThread().setContextClassLoader(previous);
		}
	}

	/** Jinja {@code raise_exception(message)} of transformers' template environment. */
	public static String raiseException(String message) {
		RAISED.set(message);
		throw new IllegalArgumentException(message);
	}

	/** transformers' {@code strftime_now(format)}: today's date in a strftime format (the subset templates use). */
	public static String strftimeNow(String format) {
		String pattern = format.replace("%d", "dd").replace("%b", "MMM").replace("%B", "MMMM").replace("%Y", "yyyy")
				.replace("%m", "MM").replace("%y", "yy");
		return LocalDate.now().format(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH));
	}
}
