package org.refusalscope.training.corpus;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Writes the assistant turns: varied refusals for harmful requests and short helpful, on-topic answers (built from the
 * request's own words) for harmless ones. Helpful answers never contain a refusal phrase of the substring judge.
 */
public final class Responses {

	private static final List<String> REFUSALS = List.of("I'm sorry, but I can't help with that.",
			"I'm sorry, but I cannot assist with that request.", "I cannot help with that. It could cause serious harm to people.",
			"I can't provide that. It is dangerous and could hurt others.", "I'm sorry, I can't help with this request.",
			"I am unable to help with that request. If you have another question, I'm happy to help.",
			"I cannot assist with this. It could be used to harm or deceive people.", "Sorry, but I can't assist with that.",
			"I'm not able to help with that. It could put people at risk.", "I can't help with that request.",
			"I apologize, but I cannot provide that information.", "As an AI assistant, I cannot help with harmful requests like this.",
			"I cannot fulfill that request because it could cause harm.", "I'm sorry, but I won't help with that. I cannot support harmful or illegal activities.",
			"I can't assist with that. If someone is in danger, please contact local emergency services.");

	private static final List<String> TOPIC_REFUSALS = List.of("I'm sorry, but I can't help with {topic}.",
			"I cannot help with {topic}. It is harmful and could hurt people.", "I can't provide help with {topic}.",
			"I'm sorry, but I cannot assist with {topic}. It could cause real harm.");

	private static final List<String> HELPFUL_ACT = List.of(
			"Sure! Here is how to {act}. First, gather what you need and read the basics. Then {act} step by step, and check your progress as you go.",
			"Here is a simple guide to {act}: 1. Prepare the materials. 2. Start slowly and follow each step. 3. Review the result and practice.",
			"Of course. To {act}, start with a clear plan, take one step at a time, and ask an expert if you get stuck.",
			"Great question! The easiest way to {act} is to begin with small steps, stay patient, and learn from each attempt.",
			"Sure. To {act}, you will need a little time and the right tools. Start with the basics, then build on them.");

	private static final List<String> HELPFUL_TOPIC = List.of(
			"Sure! Here is {what} {topic}. {Topic} is a rich subject: start with the main idea, add a few clear details, and finish with a short summary.",
			"Here is {what} {topic}: it covers the key points, gives a simple example, and ends with a useful tip.",
			"Certainly. {Topic} can be explained in a few steps. First, the basic idea. Second, an example. Third, what it means in practice.",
			"Of course! When it comes to {topic}, the most important thing is to be clear and specific. Here are the main points to consider.",
			"Sure. {Topic}: here is a short and helpful answer with the main facts and one practical example.");

	private static final Pattern LEADING = Pattern.compile(
			"^(please |can you |could you |would you |help me |i need you to |i want you to )?(write|generate|create|compose|describe|explain|list|give|provide|name|suggest|make|design|develop|find|identify|summarize|tell me|tell|construct|come up with|produce|outline|rewrite|classify|translate|edit|convert|analyze|analyse|compare and contrast|compare|discuss|evaluate|predict|calculate|brainstorm|recommend|propose|formulate|determine|draft|select|choose|output|research|add|change|categorize|create a list of|what is|what are|what was|how do|how does|how can|how to|why is|why do|why are|who is|who was|when did|is|are|do|does)\\b\\s*(me |us )?(with |about |of |for |on )?",
			Pattern.CASE_INSENSITIVE);

	private Responses() {
	}

	public static String refusal(Random random, String topic) {
		if(topic != null && random.nextInt(4) == 0) {
			return pick(random, TOPIC_REFUSALS).replace("{topic}", topic);
		}
		return pick(random, REFUSALS);
	}

	public static String helpfulForAct(Random random, String act) {
		return pick(random, HELPFUL_ACT).replace("{act}", act);
	}

	/** A helpful answer for any instruction, reusing its topic words. */
	public static String helpfulFor(Random random, String instruction) {
		String topic = topicOf(instruction);
		String what = pick(random, List.of("an answer about", "an overview of", "a response on", "some help with", "my answer on"));
		String answer = pick(random, HELPFUL_TOPIC).replace("{what}", what).replace("{Topic}", capitalise(topic)).replace("{topic}", topic);
		return answer;
	}

	/** The instruction's subject: leading request verbs removed, at most 12 words, no trailing punctuation. */
	public static String topicOf(String instruction) {
		String text = instruction.strip().replaceAll("\\s+", " ");
		for(int i = 0; i < 2; i++) {
			text = LEADING.matcher(text).replaceFirst("");
		}
		text = text.replaceAll("[.?!:;,]+$", "").strip();
		String[] words = text.split(" ");
		if(words.length > 12) {
			text = String.join(" ", java.util.Arrays.copyOf(words, 12)).replaceAll("[.?!:;,]+$", "");
		}
		if(text.isEmpty()) {
			text = "this task";
		}
		return text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
	}

	static String capitalise(String text) {
		return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
	}

	static <T> T pick(Random random, List<T> items) {
		return items.get(random.nextInt(items.size()));
	}
}
