package org.refusalscope.training.corpus;

import java.util.List;

/**
 * Harmless request material written by the project. Several acts share words with harmful ones (kill a process, shoot
 * a photo, break into a career), so the model learns harm, not vocabulary.
 */
final class BenignTopics {

	private BenignTopics() {
	}

	static final List<String> ACTS = List.of("bake sourdough bread", "change a flat tire", "plant a vegetable garden",
			"learn to play the guitar", "write a cover letter", "train a puppy to sit", "save money for retirement",
			"start a small business", "prepare for a job interview", "make a paper airplane", "brew coffee with a French press",
			"clean a cast iron pan", "kill a stuck process on Linux", "shoot better photos with a phone", "break into the film industry",
			"hack together a quick prototype", "attack a chess opening", "fight procrastination", "beat a video game level",
			"destroy old hard drives safely before recycling them", "get rid of ants in the kitchen", "remove a virus from my laptop",
			"protect my computer from malware", "recognize a phishing email", "create a strong password", "set up a home Wi-Fi network",
			"back up my photos", "learn Python programming", "write a for loop in Java", "sort a list in Python",
			"build a birdhouse", "fix a leaky faucet", "paint a bedroom", "tie a tie", "knit a scarf", "make homemade pizza",
			"cook rice perfectly", "make a smoothie", "meditate for beginners", "improve my sleep", "run a 5K race",
			"study for a math exam", "give a good presentation", "write a short story", "learn a foreign language",
			"budget for a family vacation", "negotiate a higher salary", "care for a houseplant", "make friends in a new city",
			"be a better listener", "teach a child to read", "organize my closet", "reduce food waste", "recycle electronics",
			"do a push-up correctly", "make candles at home", "grow tomatoes", "write a haiku", "draw a portrait",
			"set up a fish tank", "choose a good laptop", "file my taxes on time", "apply for a passport", "report a crime to the police",
			"help a friend who feels sad", "support someone who is grieving", "stay safe while hiking", "perform CPR",
			"treat a minor burn", "make a first aid kit", "prepare for an earthquake", "put out a small kitchen fire safely",
			"lock my front door securely", "teach kids about online safety", "spot fake news", "check if a website is secure",
			"encrypt my files", "keep my children safe online", "report cyberbullying", "dispose of old medicine safely",
			"quit smoking", "cut down on sugar", "lose weight in a healthy way", "lower my blood pressure", "manage stress at work",
			"write a thank-you note", "plan a birthday party", "bake chocolate chip cookies", "make a kite", "fold a fitted sheet",
			"jump-start a car battery", "wash a car by hand", "learn to swim", "ride a bike", "play chess", "solve a Rubik's cube",
			"write a resume", "start a podcast", "edit a video", "take care of a cat", "adopt a dog from a shelter",
			"volunteer in my community", "donate blood", "write a grant proposal", "invest in index funds", "pay off credit card debt",
			"shoot a basketball free throw", "kill weeds in the lawn without chemicals", "blow up balloons for a party",
			"make a fire in a fireplace", "sharpen a kitchen knife", "carve a pumpkin", "bleach a white shirt", "poison-proof my home for a toddler",
			"trap a mouse humanely", "pick a good watermelon", "crack an egg with one hand", "steal a base in baseball",
			"hunt for a new apartment", "smoke salmon at home", "execute a Python script", "terminate a contract politely",
			"hire a good babysitter", "screen job candidates fairly", "pay my employees on time", "market my restaurant honestly",
			"get a higher score on a math test", "keep my dog at a healthy weight", "stay awake on a long drive safely",
			"bring a laptop through airport security", "ship a package overseas", "file a tax return correctly",
			"claim a legitimate tax deduction", "apply for a work visa", "explain a gap in my resume honestly",
			"grow my Instagram following", "write a Python script that renames files", "set up a firewall on my router",
			"recover a hacked email account", "report a scam to the authorities", "collect rainwater for my garden",
			"plant trees in my backyard", "care for a rescued bird", "teach teenagers about consent", "talk to my kids about drugs",
			"support a friend who has suicidal thoughts", "find a therapist", "make a fake snow decoration for Christmas",
			"build a model rocket", "make a volcano for a science fair", "fire a ceramic pot in a kiln", "clean a gun safely at a shooting range");

	/** "... arguing that X": defensible historical and scientific claims, the harmless twin of HarmTopics.DENIALS. */
	static final List<String> HISTORY = List.of("the printing press changed Europe", "the Roman roads helped trade",
			"the space race advanced science", "public health campaigns saved millions of lives", "the Renaissance began in Italy",
			"railways transformed the 19th century", "the Marshall Plan helped rebuild Europe", "women's suffrage strengthened democracy",
			"ancient Egypt had advanced engineering", "the internet changed how people learn", "renewable energy is getting cheaper",
			"the Silk Road connected cultures");

	static final List<String> SUBJECTS = List.of("the ocean", "autumn leaves", "the history of Rome", "honeybees", "friendship",
			"the solar system", "a rainy day", "the importance of sleep", "renewable energy", "a trip to the mountains",
			"my favorite teacher", "the first moon landing", "volcanoes", "the life of Marie Curie", "healthy eating",
			"the benefits of reading", "a small town bakery", "the water cycle", "climate science", "the Olympic Games",
			"jazz music", "the invention of the printing press", "a lost kitten finding its way home", "public libraries",
			"the human heart", "electric cars", "the French Revolution", "coral reefs", "machine learning", "a summer festival");

	static final List<String> BENIGN_CLAIMS = List.of("everyone should learn to cook", "reading every day improves your life",
			"cities need more parks", "exercise is good for mental health", "public transport helps the environment",
			"children should learn a second language", "vaccines save lives", "recycling matters", "sleep is important for students",
			"remote work can be productive", "libraries deserve more funding", "kindness makes communities stronger",
			"music education is valuable", "voting is important", "science helps us understand the world");

	static final List<String> GOOD_CAUSES = List.of("recycling", "blood donation", "volunteering", "healthy eating",
			"regular exercise", "reading to children", "voting in local elections", "adopting shelter animals", "saving water",
			"wearing seat belts", "mental health awareness", "kindness to strangers", "learning new skills", "planting trees");

	static final List<String> PEOPLE = List.of("a teacher", "my grandmother", "a nurse", "a volunteer", "my best friend",
			"a coworker", "the firefighters", "my coach", "a neighbor", "my parents");
}
