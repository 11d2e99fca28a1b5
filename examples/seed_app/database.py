"""Efficient SQLAlchemy patterns from the seed guidelines.

Verbatim from the seed, plus the import it was missing (`Dict`). `User`, `Post` and
`Comment` are the application's ORM models, defined elsewhere.
"""
from sqlalchemy import select, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload, joinedload
from typing import List, Optional, Dict

async def get_users_with_posts_efficient(
    db: AsyncSession,
    limit: int = 100
) -> List[User]:
    """
    Efficiently load users with their posts using selectinload.

    Args:
        db: Database session.
        limit: Maximum number of users to return.

    Returns:
        List of users with loaded posts.
    """
    result = await db.execute(
        select(User)
        .options(selectinload(User.posts))  # Efficient N+1 prevention
        .limit(limit)
    )
    return result.scalars().all()

async def get_user_stats_batch(
    db: AsyncSession,
    user_ids: List[int]
) -> Dict[int, Dict[str, int]]:
    """
    Get user statistics in a single query.

    Args:
        db: Database session.
        user_ids: List of user IDs.

    Returns:
        Dictionary mapping user ID to stats.
    """
    result = await db.execute(
        select(
            User.id,
            func.count(Post.id).label('post_count'),
            func.count(Comment.id).label('comment_count')
        )
        .outerjoin(Post)
        .outerjoin(Comment)
        .where(User.id.in_(user_ids))
        .group_by(User.id)
    )

    return {
        row.id: {
            'post_count': row.post_count,
            'comment_count': row.comment_count
        }
        for row in result
    }
