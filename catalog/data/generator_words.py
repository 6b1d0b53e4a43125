"""Word lists and proportions the synthetic catalog generator draws from."""

from catalog.models import CourseFormat

COURSES_PER_INSTITUTE = 25
#: Courses built and inserted per slice; each insert then carries at most a few thousand rows.
CHUNK = 2000
_s = str.split  # word lists are written as one string each, to stay readable

# Used only when the database has no vocabulary and data/ has no file for it.
BUILTIN_AREAS = (
    ("HITEC City", 17.4435, 78.3772), ("Financial District", 17.4156, 78.3410),
    ("Madhapur", 17.4483, 78.3915), ("Gachibowli", 17.4401, 78.3489), ("Kondapur", 17.4616, 78.3587),
    ("Ameerpet", 17.4375, 78.4482), ("Kukatpally", 17.4849, 78.4138), ("Begumpet", 17.4447, 78.4664),
    ("Banjara Hills", 17.4126, 78.4392), ("Jubilee Hills", 17.4325, 78.4071),
    ("Secunderabad", 17.4399, 78.4983), ("Dilsukhnagar", 17.3688, 78.5247),
    ("Nanakramguda", 17.4185, 78.3500), ("Manikonda", 17.4040, 78.3870), ("Online", None, None),
)  # fmt: skip
BUILTIN_TOPICS = (
    ("Automated ML pipelines", "automated-ml-pipelines", ["ml pipelines"]),
    ("CI/CD for ML", "ci-cd-for-ml", ["continuous integration", "continuous delivery", "cicd"]),
    ("Containers", "containers", ["containerization"]),
    ("Orchestration", "orchestration", ["workflow orchestration"]),
    ("Model serving", "model-serving", ["model deployment"]),
    ("Monitoring & observability", "monitoring-observability", ["model monitoring", "drift detection"]),
    ("Governance & compliance", "governance-compliance", ["model governance", "responsible ai"]),
    ("Experiment tracking", "experiment-tracking", ["model registry"]),
    ("Data versioning", "data-versioning", ["data lineage"]),
    ("Feature stores", "feature-stores", ["feature store"]),
    ("Cloud MLOps", "cloud-mlops", ["cloud ml"]),
    ("LLMOps", "llmops", ["llm ops"]),
)
BUILTIN_TOOLS = (
    ("Jenkins", "ci-cd", []), ("GitHub Actions", "ci-cd", ["gh actions"]),
    ("Docker", "containers", ["dockerfile"]), ("Kubernetes", "orchestration", ["k8s"]),
    ("Airflow", "orchestration", ["apache airflow"]), ("Kubeflow", "pipelines", ["kfp"]),
    ("MLflow", "tracking", ["ml flow"]), ("DVC", "data", ["data version control"]),
    ("Feast", "data", []), ("BentoML", "serving", []), ("FastAPI", "serving", []),
    ("Prometheus", "monitoring", []), ("Grafana", "monitoring", []), ("Evidently", "monitoring", []),
    ("SageMaker", "cloud", []), ("Vertex AI", "cloud", []), ("Azure ML", "cloud", []),
    ("Terraform", "infrastructure", []),
)  # fmt: skip

# Popularity order: earlier entries are chosen much more often (weights fall as 1/rank).
POPULAR_TOPICS = _s(
    "automated-ml-pipelines ci-cd-for-ml containers orchestration model-serving monitoring-observability "
    "cloud-mlops experiment-tracking llmops data-versioning feature-stores governance-compliance"
)
POPULAR_TOOLS = _s(
    "docker kubernetes mlflow github-actions airflow jenkins kubeflow prometheus grafana dvc fastapi "
    "sagemaker terraform azure-ml vertex-ai evidently"
)
TOPIC_TOOL_CATEGORIES = {
    "automated-ml-pipelines": ("pipelines", "orchestration"),
    "ci-cd-for-ml": ("ci-cd",),
    "containers": ("containers",),
    "orchestration": ("orchestration",),
    "model-serving": ("serving",),
    "monitoring-observability": ("monitoring",),
    "governance-compliance": ("tracking", "monitoring"),
    "experiment-tracking": ("tracking",),
    "data-versioning": ("data",),
    "feature-stores": ("data",),
    "cloud-mlops": ("cloud", "infrastructure"),
    "llmops": ("serving", "pipelines", "monitoring"),
}
IT_HUB_AREAS = {"hitec-city", "madhapur", "gachibowli", "financial-district", "kondapur"}

NAME_FIRST = _s(
    "Deccan Charminar Golconda Cyberabad Nizam Lakeview Banyan Monsoon Lotus Falcon Pearl Krishna "
    "Godavari Musi Vector Tensor Kernel Orbit Summit Keystone Granite Meridian Indus Sahyadri"
)
NAME_MIDDLE = _s("Data Cloud MLOps AI ML DevOps Analytics Platform Model Pipeline")
NAME_LAST = ("Academy", "Institute", "Labs", "School", "Training Centre", "Learning Hub", "Guild", "Works")
PARTNERS = (
    "Deccan FinServ", "Cyberabad Health Analytics", "Nizam Logistics", "Pearl City Retail",
    "HITEC Telecom", "Godavari Insurance", "Charminar Payments", "Banyan SaaS",
)  # fmt: skip
FIRST_NAMES = _s(
    "Aarav Ananya Arjun Bhavana Chaitanya Deepika Harsha Ishaan Kavya Kiran Lakshmi Manoj Meera Naveen "
    "Pooja Pranav Rahul Ravi Sai Sandeep Shreya Sneha Srinivas Swathi Tejaswini Varun Vikram Vishnu "
    "Yamini Zoya Farhan Imran Ayesha Nikhil Divya"
)
SURNAMES = _s(
    "Reddy Rao Naidu Sharma Varma Iyer Kumar Chowdary Patel Khan Gupta Menon Nair Goud Prasad Murthy "
    "Shetty Desai Kulkarni Siddiqui"
)
INDUSTRIES = _s("banking fintech healthcare e-commerce telecom logistics SaaS insurance edtech pharma")
ARTIFACTS = (
    "a training pipeline", "a feature pipeline", "a model registry", "a canary deployment",
    "drift dashboards", "an inference API", "a retraining workflow", "a CI pipeline for models",
    "data validation checks", "a GPU serving stack", "an evaluation harness", "alerting rules",
)  # fmt: skip
ACTIVITIES = (
    "ship it behind a canary release", "monitor it for drift", "roll it back safely",
    "version the data behind it", "automate retraining on fresh data", "add tests and quality gates",
    "trace every prediction", "cut inference latency", "document it for an audit",
)  # fmt: skip
STAGES = (
    "data ingestion", "feature engineering", "training", "evaluation", "packaging", "deployment",
    "monitoring", "retraining", "governance review",
)  # fmt: skip
FORMAT_WORDS = {
    CourseFormat.BOOTCAMP: ("Bootcamp", "Intensive Bootcamp"),
    CourseFormat.CERTIFICATION: ("Certification Program", "Certificate Course"),
    CourseFormat.DIPLOMA: ("Diploma", "Postgraduate Diploma"),
    CourseFormat.WORKSHOP: ("Workshop", "Masterclass", "Hands-on Lab"),
}
PROGRAM_TITLES = (
    "{topic} {fmt} with {tool}", "MLOps {fmt}: {topic} and {topic2}",
    "{level} {topic} using {tool} and {tool2}", "Production ML with {tool}: {topic}",
    "{tool} and {tool2} for {topic}", "End-to-End MLOps {fmt} ({tool}, {tool2})",
)  # fmt: skip
WORKSHOP_TITLES = (
    "{tool} in a Day: {topic}", "Weekend {fmt}: {tool} for {topic}", "{topic} {fmt} with {tool}",
    "{fmt}: {tool} and {tool2}",
)  # fmt: skip
REFUND_POLICIES = (
    "Full refund up to 7 days before the batch starts; 50% within the first week of classes.",
    "Full refund before the start date; no refund after the second session.",
    "Fee refundable minus a ₹2,000 registration charge until the first class.",
)
PREREQUISITES = (
    "Python and basic machine learning.", "Comfort with Linux, Git and Python.",
    "A year of software or data work.", "None: we start from the basics.",
)  # fmt: skip
# Fee ranges in rupees and duration ranges in weeks, per program format.
PROGRAM_FEES = {
    CourseFormat.CERTIFICATION: (20_000, 150_000),
    CourseFormat.BOOTCAMP: (40_000, 250_000),
    CourseFormat.DIPLOMA: (100_000, 350_000),
}
PROGRAM_WEEKS = {
    CourseFormat.CERTIFICATION: (5, 26),
    CourseFormat.BOOTCAMP: (9, 34),
    CourseFormat.DIPLOMA: (26, 52),
}
