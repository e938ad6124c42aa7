/// What lists show of an article, made once per build: a page that lists it adds only its
/// link. (Reading these from the `LinkedArticle` on every page copied the whole article.)
struct ArticleEntry: Sendable {
    let id: String
    let title: String
    let mentionCount: Int
    /// `2018-05-01`, and as readers of the site's language write it.
    let day: String?
    let dayText: String?
    /// `2018-05`: the month the archive and the timeline file it under.
    let month: String?
    let publisher: String?
    let summary: String?

    init(_ linked: LinkedArticle, language: String) {
        let article = linked.article
        id = article.id
        title = article.title
        mentionCount = linked.mentions.count
        day = article.date?.day
        dayText = article.date.map { DateDisplay.text($0, language: language) }
        month = article.date.map { String($0.day.prefix(7)) }
        publisher = article.publisher
        summary = article.summary
    }
}

/// What lists show of an actor or place, made once per build.
struct EntityEntry: Sendable {
    let ref: EntityRef
    let name: String
    let category: String?
    let mentionCount: Int

    init(_ entity: Entity, mentionCount: Int) {
        ref = entity.ref
        name = entity.name
        category = entity.category
        self.mentionCount = mentionCount
    }
}
