public enum Crawl {}
